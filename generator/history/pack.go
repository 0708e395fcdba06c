package history

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// The walk reads commits and trees from the pack files itself, with
// go-git's delta patching, and asks go-git's storage only for objects in no
// pack (loose objects, alternates). go-git's storage spent most of the walk
// seeking before each read, hashing every object it put in its cache, and
// reopening the pack file for every object above 16 KiB (a big directory's
// tree); it cannot be shared between goroutines either, while pack files
// read with ReadAt can.

// errCorruptPack says that a pack file or its index cannot be parsed.
var errCorruptPack = errors.New("corrupt pack file")

// objectSource is a repository's objects: its pack files, and go-git's
// storage for the rest. It is safe for concurrent use; each goroutine reads
// through its own objectReader, and all share the objects kept.
type objectSource struct {
	packs []*pack

	cacheMu sync.Mutex
	cache   objectCache // objects read from packs, by any reader

	mu       sync.Mutex // for fallback, which go-git does not make safe for concurrent use
	fallback storer.EncodedObjectStorer
}

// pack is one pack file and its index.
type pack struct {
	file *os.File // read with ReadAt, unless mapped
	data []byte   // the pack file mapped into memory, or nil
	size int64
	idx  []byte // the whole .idx file, version 2
	n    int    // objects in the pack
}

// openObjects opens the pack files of the object directory dir; fallback
// reads the objects they do not hold. A pack whose index is not version 2
// (git has written version 2 since 2007) is left to fallback.
func openObjects(dir string, fallback storer.EncodedObjectStorer) (*objectSource, error) {
	src := &objectSource{fallback: fallback, cache: objectCache{max: maxCachedObjectBytes}}
	names, err := filepath.Glob(filepath.Join(dir, "pack", "pack-*.idx"))
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		p, err := openPack(strings.TrimSuffix(name, ".idx"))
		if err != nil {
			src.close()
			return nil, err
		}
		if p != nil {
			src.packs = append(src.packs, p)
		}
	}
	return src, nil
}

// openPack opens base+".pack" and reads base+".idx"; it returns nil when
// either is missing (a pack being written or deleted) or the index is not
// version 2.
func openPack(base string) (*pack, error) {
	idx, err := os.ReadFile(base + ".idx")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	const idxHeader = 8 + 256*4
	if len(idx) < idxHeader+40 || !bytes.Equal(idx[:8], []byte{0xff, 't', 'O', 'c', 0, 0, 0, 2}) {
		return nil, nil
	}
	n := int(binary.BigEndian.Uint32(idx[8+255*4:]))
	if n < 0 || len(idx) < idxHeader+n*(20+4+4)+40 {
		return nil, fmt.Errorf("%s.idx: %w", base, errCorruptPack)
	}
	file, err := os.Open(base + ".pack")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	fi, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, err
	}
	var header [12]byte
	if _, err := file.ReadAt(header[:], 0); err != nil || fi.Size() < 32 || string(header[:4]) != "PACK" || header[7] != 2 && header[7] != 3 {
		file.Close()
		return nil, fmt.Errorf("%s.pack: %w", base, errCorruptPack)
	}
	return &pack{file: file, data: mapPack(file, fi.Size()), size: fi.Size(), idx: idx, n: n}, nil
}

// close closes the pack files. Nothing read from them refers to their
// mapped memory: objects are inflated into memory of their own.
func (s *objectSource) close() {
	for _, p := range s.packs {
		if p.data != nil {
			unmapPack(p.data)
		}
		p.file.Close()
	}
}

// find returns the offset of an object in the pack, or -1.
func (p *pack) find(hash plumbing.Hash) int64 {
	const fanout, names = 8, 8 + 256*4
	lo := 0
	if hash[0] > 0 {
		lo = int(binary.BigEndian.Uint32(p.idx[fanout+(int(hash[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(p.idx[fanout+int(hash[0])*4:]))
	if hi > p.n || lo > hi {
		return -1
	}
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		switch c := bytes.Compare(p.idx[names+mid*20:names+mid*20+20], hash[:]); {
		case c == 0:
			return p.offset(mid)
		case c < 0:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return -1
}

// offset returns the offset of the i-th object of the index.
func (p *pack) offset(i int) int64 {
	offsets := 8 + 256*4 + p.n*24
	off := binary.BigEndian.Uint32(p.idx[offsets+i*4:])
	if off&0x80000000 == 0 {
		return int64(off)
	}
	large := offsets + p.n*4 + int(off&0x7fffffff)*8
	if large+8 > len(p.idx)-40 {
		return -1
	}
	return int64(binary.BigEndian.Uint64(p.idx[large:]))
}

// objectReader reads objects from an objectSource for one goroutine.
type objectReader struct {
	src     *objectSource
	rd      byteReader    // the current object's bytes: mem or br
	mem     bytes.Reader  // over a mapped pack
	br      *bufio.Reader // over a pack read with ReadAt
	zr      io.ReadCloser
	scratch []byte // a delta being applied
}

type byteReader interface {
	io.Reader
	io.ByteReader
}

// maxCachedObjectBytes bounds the objects an objectSource keeps, so that a
// monorepo with huge trees cannot exhaust memory.
const maxCachedObjectBytes = 32 << 20

// maxDeltaChain bounds the deltas followed to find an object's base: git
// makes chains of at most 50 (4095 with --depth), a corrupt pack a cycle.
const maxDeltaChain = 10000

func newObjectReader(src *objectSource) *objectReader {
	return &objectReader{src: src, br: bufio.NewReaderSize(nil, 4096)}
}

// blob returns the bytes of a blob, which may be shared: they must not
// be changed.
func (r *objectReader) blob(hash plumbing.Hash) ([]byte, error) {
	typ, b, err := r.read(hash, 0)
	if err != nil {
		return nil, err
	}
	if typ != plumbing.BlobObject {
		return nil, fmt.Errorf("a %s, not a blob", typ)
	}
	return b, nil
}

// tree returns the raw tree hash; the zero hash is no tree (nil). The
// bytes may be shared: they must not be changed.
func (r *objectReader) tree(hash plumbing.Hash) ([]byte, error) {
	if hash.IsZero() {
		return nil, nil
	}
	typ, b, err := r.read(hash, 0)
	if err != nil {
		return nil, fmt.Errorf("read tree %s: %w", hash, err)
	}
	if typ != plumbing.TreeObject {
		return nil, fmt.Errorf("read tree %s: a %s, not a tree", hash, typ)
	}
	return b, nil
}

// read returns an object's type and content.
func (r *objectReader) read(hash plumbing.Hash, depth int) (plumbing.ObjectType, []byte, error) {
	for i, p := range r.src.packs {
		if off := p.find(hash); off >= 0 {
			return r.at(i, off, depth)
		}
	}
	return r.src.read(hash)
}

// read reads an object with the fallback storage.
func (s *objectSource) read(hash plumbing.Hash) (plumbing.ObjectType, []byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.fallback.EncodedObject(plumbing.AnyObject, hash)
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	rc, err := o.Reader()
	if err != nil {
		return plumbing.InvalidObject, nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return o.Type(), b, err
}

// objectKey names an object by where it is: a pack and an offset in it.
type objectKey struct {
	pack   int
	offset int64
}

// at reads the object at offset off of pack i, applying deltas.
func (r *objectReader) at(i int, off int64, depth int) (plumbing.ObjectType, []byte, error) {
	key := objectKey{i, off}
	if o, ok := r.src.cached(key); ok {
		return o.typ, o.data, nil
	}
	if depth > maxDeltaChain {
		return plumbing.InvalidObject, nil, fmt.Errorf("delta chain at offset %d: %w", off, errCorruptPack)
	}
	typ, size, err := r.header(i, off)
	if err != nil {
		return plumbing.InvalidObject, nil, fmt.Errorf("object at offset %d: %w", off, err)
	}
	var data []byte
	switch typ {
	case plumbing.CommitObject, plumbing.TreeObject, plumbing.BlobObject, plumbing.TagObject:
		data = make([]byte, size)
		if err := r.inflate(data); err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("object at offset %d: %w", off, err)
		}
	case plumbing.OFSDeltaObject, plumbing.REFDeltaObject:
		var base func() (plumbing.ObjectType, []byte, error)
		if typ == plumbing.OFSDeltaObject {
			rel, err := r.baseOffset()
			if err != nil || rel <= 0 || rel >= off {
				return plumbing.InvalidObject, nil, fmt.Errorf("delta at offset %d: %w", off, errCorruptPack)
			}
			base = func() (plumbing.ObjectType, []byte, error) { return r.at(i, off-rel, depth+1) }
		} else {
			var hash plumbing.Hash
			if _, err := io.ReadFull(r.rd, hash[:]); err != nil {
				return plumbing.InvalidObject, nil, fmt.Errorf("delta at offset %d: %w", off, errCorruptPack)
			}
			base = func() (plumbing.ObjectType, []byte, error) { return r.read(hash, depth+1) }
		}
		// The delta is inflated first: reading its base reuses the reader.
		delta := r.scratchBuf(size)
		if err := r.inflate(delta); err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("delta at offset %d: %w", off, err)
		}
		r.scratch = nil // the base may be a delta too
		baseType, src, err := base()
		if err != nil {
			return plumbing.InvalidObject, nil, err
		}
		if data, err = packfile.PatchDelta(src, delta); err != nil {
			return plumbing.InvalidObject, nil, fmt.Errorf("delta at offset %d: %w", off, err)
		}
		r.scratch = delta[:0]
		typ = baseType
	default:
		return plumbing.InvalidObject, nil, fmt.Errorf("object at offset %d has type %d: %w", off, typ, errCorruptPack)
	}
	r.src.keep(key, cachedObject{typ: typ, data: data})
	return typ, data, nil
}

// cached returns an object kept by keep.
func (s *objectSource) cached(k objectKey) (cachedObject, bool) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	return s.cache.get(k)
}

// keep keeps an object read for a while: most trees are read twice in a
// row, as a commit's and as its child's parent's, and a delta's base is
// most often an object read just before. The readers share what they keep:
// they diff consecutive commits, which share most trees.
func (s *objectSource) keep(k objectKey, o cachedObject) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	s.cache.put(k, o)
}

// maxObjectSize bounds what a corrupt header can make the reader allocate:
// commits and trees are far smaller.
const maxObjectSize = 1 << 30

// header reads the type and inflated size of the object at offset off of
// pack i, and leaves r.rd at the bytes that follow.
func (r *objectReader) header(i int, off int64) (plumbing.ObjectType, int, error) {
	p := r.src.packs[i]
	if off < 12 || off >= p.size-20 {
		return plumbing.InvalidObject, 0, errCorruptPack
	}
	if p.data != nil {
		r.mem.Reset(p.data[off : p.size-20])
		r.rd = &r.mem
	} else {
		r.br.Reset(io.NewSectionReader(p.file, off, p.size-20-off))
		r.rd = r.br
	}
	c, err := r.rd.ReadByte()
	if err != nil {
		return plumbing.InvalidObject, 0, err
	}
	typ := plumbing.ObjectType(c >> 4 & 7)
	size := uint64(c & 0x0f)
	for shift := 4; c&0x80 != 0; shift += 7 {
		if c, err = r.rd.ReadByte(); err != nil {
			return plumbing.InvalidObject, 0, err
		}
		if shift > 56 {
			return plumbing.InvalidObject, 0, errCorruptPack
		}
		size |= uint64(c&0x7f) << shift
	}
	if size > maxObjectSize {
		return plumbing.InvalidObject, 0, fmt.Errorf("object of %d bytes: %w", size, errCorruptPack)
	}
	return typ, int(size), nil
}

// baseOffset reads how far before an offset delta its base is.
func (r *objectReader) baseOffset() (int64, error) {
	c, err := r.rd.ReadByte()
	if err != nil {
		return 0, err
	}
	n := int64(c & 0x7f)
	for c&0x80 != 0 {
		if c, err = r.rd.ReadByte(); err != nil {
			return 0, err
		}
		if n > 1<<55 {
			return 0, errCorruptPack
		}
		n = (n+1)<<7 | int64(c&0x7f)
	}
	return n, nil
}

// inflate fills b with the zlib stream that follows.
func (r *objectReader) inflate(b []byte) error {
	if r.zr == nil {
		zr, err := zlib.NewReader(r.rd)
		if err != nil {
			return err
		}
		r.zr = zr
	} else if err := r.zr.(zlib.Resetter).Reset(r.rd, nil); err != nil {
		return err
	}
	_, err := io.ReadFull(r.zr, b)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func (r *objectReader) scratchBuf(n int) []byte {
	if cap(r.scratch) < n {
		r.scratch = make([]byte, n)
	}
	return r.scratch[:n]
}

// objectCache keeps recently read objects, up to max bytes, in two
// generations: a hit in the old one moves the object to the new one, and
// the old one is dropped when the new one is full. That is nearly an LRU
// cache without a list to maintain.
type objectCache struct {
	cur, old map[objectKey]cachedObject
	size     int
	max      int
}

type cachedObject struct {
	typ  plumbing.ObjectType
	data []byte
}

func (c *objectCache) get(k objectKey) (cachedObject, bool) {
	if o, ok := c.cur[k]; ok {
		return o, true
	}
	o, ok := c.old[k]
	if ok {
		c.put(k, o)
	}
	return o, ok
}

func (c *objectCache) put(k objectKey, o cachedObject) {
	if c.cur == nil || c.size+len(o.data) > c.max/2 {
		c.old, c.cur, c.size = c.cur, map[objectKey]cachedObject{}, 0
	}
	c.cur[k] = o
	c.size += len(o.data)
}
