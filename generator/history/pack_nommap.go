//go:build !unix

package history

import "os"

// mapPack maps nothing where there is no mmap: packs are read with ReadAt.
func mapPack(*os.File, int64) []byte { return nil }

func unmapPack([]byte) {}
