package synth

// The vocabulary of synthetic documents: enough variety that pages, search
// indexes and diffs look like a consultancy's, drawn from by the seeded
// random source only. "%s" in a sentence is replaced by its subject.

var sentences = []string{
	"%s was set up by Synthetic IT when the client moved off its old provider, and has been managed by us since.",
	"The client's office manager is the first person to ask about %s; they know the history and approve changes.",
	"Changes to %s are made in the monthly maintenance window unless the client asks for an emergency change.",
	"%s is documented here as it was found on the last review, including the parts we would do differently.",
	"Everything about %s that a successor needs is on this page or linked from it: access, backups, monitoring and who to call.",
	"The configuration of %s is kept in the infrastructure repository and applied by Ansible; do not edit it by hand.",
	"Licences for %s are bought through the Synthetic IT partner account and re-invoiced to the client every year.",
	"When %s misbehaves the usual cause is a full disk or an expired certificate; both are monitored.",
	"%s is used every working day by most of the staff, and by the finance team at month end in particular.",
	"The vendor supports %s in business hours only, so out-of-hours problems are ours to work around until the morning.",
	"An audit last year found no open issues with %s; the report is in the client's SharePoint under IT.",
	"Replacing %s is on the client's roadmap for next year, budget permitting; until then it stays as documented.",
}

var noteLines = []string{
	"The client asked to be told before any reboot of %s, even inside the maintenance window.",
	"Disk on %s was extended after the low-space alert; the new size is in the monitoring tool.",
	"The vendor confirmed the support hours for %s again on the last review.",
	"Alerts for %s go to the on-call phone out of hours; the client's own staff do not get them.",
	"%s is included in the quarterly restore test; the last report is attached to the ticket.",
	"Check the change calendar before touching %s in December: the client has a change freeze.",
	"The admin credential for %s was rotated after a staff member left the client.",
	"Documentation of %s reviewed with the client's office manager; nothing missing.",
}

var clientWords = []string{"Harbour", "Northgate", "Riverside", "Oakfield", "Kestrel", "Brightwater", "Elm Street", "Meridian", "Foxglove", "Hillcrest", "Lakeside", "Marston", "Pennine", "Redwood", "Stonebridge", "Westbrook"}

var clientTrades = []string{"Dental", "Legal", "Accountants", "Veterinary", "Logistics", "Architects", "Engineering", "Opticians", "Property", "Recruitment", "Printing", "Pharmacy", "Surveyors", "Insurance", "Trading", "Design"}

var clientSuffixes = []string{"Ltd", "LLP", "Group", "Partners", "and Co", "Services", "Holdings"}

var industries = []string{"Healthcare (dental practices)", "Professional services (law)", "Accountancy", "Veterinary care", "Logistics and warehousing", "Architecture", "Manufacturing", "Retail (e-commerce)", "Property management", "Charity"}

var firstNames = []string{"Aisha", "Gareth", "Tom", "Lena", "Rob", "Fatima", "Owen", "Grace", "Ravi", "Megan", "Daniel", "Sofia", "Liam", "Nadia", "Ewan", "Harriet"}

var lastNames = []string{"Rahman", "Price", "Becker", "Fischer", "Kinsella", "Okafor", "Davies", "Murphy", "Patel", "Hughes", "Clarke", "Novak", "Byrne", "Khan", "Morgan", "Walsh"}

var contactRoles = []string{"Office manager; approves changes", "Managing director", "Finance manager", "Operations manager", "Practice manager", "Head of IT liaison", "Partner responsible for IT"}

var slaLevels = [][4]string{
	{"P1", "The business cannot work (a critical service is down for everyone)", "30m", "4h"},
	{"P2", "A critical service is degraded or a department cannot work", "1h", "8h"},
	{"P3", "A fault with a workaround, or one user affected", "4h", "3d"},
	{"P4", "Requests and changes", "1d", "10d"},
}

var vendorNames = []string{"brightline", "cobalt", "northstar", "greenfield", "apex", "blueway", "clearpath", "summit", "ironbridge", "silverleaf"}

var vendorCategories = []string{"software", "hosting", "telecoms", "hardware", "security", "printing", "internet"}

type netService struct {
	name     string
	port     int
	protocol string
}

var serverRoles = []struct {
	id, name, check string
	windows         bool
	tags            []string
	services        []netService
}{
	{"dc", "Domain controller", "Active Directory replication and DNS resolution", true, []string{"windows", "active-directory"}, []netService{{"LDAP", 389, "tcp"}, {"DNS", 53, "udp"}}},
	{"file", "File server", "share availability and DFS replication backlog", true, []string{"windows", "files"}, []netService{{"SMB", 445, "tcp"}}},
	{"web", "Web server", "HTTPS home page returns 200 and the certificate is valid for 14 days or more", false, []string{"linux", "web", "nginx"}, []netService{{"nginx (HTTPS)", 443, "https"}, {"nginx (HTTP, redirects)", 80, "http"}, {"SSH", 22, "tcp"}}},
	{"db", "Database server", "replication lag under 60 seconds and connections under 80% of the limit", false, []string{"linux", "database", "postgresql"}, []netService{{"PostgreSQL", 5432, "tcp"}, {"SSH", 22, "tcp"}}},
	{"app", "Application server", "the application's health endpoint answers within 2 seconds", false, []string{"linux", "application"}, []netService{{"Application (HTTPS)", 8443, "https"}, {"SSH", 22, "tcp"}}},
	{"rds", "Remote desktop server", "RDP gateway sessions and licence count", true, []string{"windows", "remote-desktop"}, []netService{{"RDP", 3389, "tcp"}}},
	{"backup", "Backup server", "last backup job succeeded within 26 hours", false, []string{"linux", "backup"}, []netService{{"SSH", 22, "tcp"}}},
	{"mail", "Mail relay", "queue length under 100 and SMTP answers", false, []string{"linux", "email"}, []netService{{"SMTP", 25, "tcp"}, {"Submission", 587, "tcp"}}},
	{"print", "Print server", "print spooler service running", true, []string{"windows", "printing"}, []netService{{"IPP", 631, "tcp"}}},
	{"bastion", "Bastion host", "SSH answers and fail2ban is running", false, []string{"linux", "access"}, []netService{{"SSH", 22, "tcp"}}},
}

var oses = [][3]string{{"Ubuntu", "24.04", "2029-05-31"}, {"Ubuntu", "22.04", "2027-06-01"}, {"Debian", "12", "2028-06-30"}, {"Rocky Linux", "9", "2032-05-31"}}

var windowsOSes = [][3]string{{"Windows Server", "2022", "2031-10-14"}, {"Windows Server", "2019", "2029-01-09"}, {"Windows Server", "2025", "2034-10-10"}}

var regions = []string{"fsn1 (Falkenstein, Germany)", "eu-west-2 (London)", "uksouth (London)", "Comms room, ground floor", "Rack 4, Telehouse North", "nbg1 (Nuremberg, Germany)"}

var backupSchedules = []string{
	"nightly 02:00, full on Sundays and incremental otherwise",
	"every 4 hours, snapshots kept on the NAS and copied off-site nightly",
	"nightly 01:30 image backup; database dumps every hour",
	"nightly 03:00 with restic to the off-site repository",
}

var backupTargets = []string{"Backblaze B2 bucket (off-site, immutable for 30 days)", "Synology NAS in the comms room, copied to Backblaze nightly", "Azure Recovery Services vault, UK South", "Hetzner Storage Box BX11"}

var patchSchedules = []string{
	"monthly, second Tuesday, security updates first",
	"unattended-upgrades daily (security only); other updates monthly",
	"Windows Update through NinjaOne, monthly after the Patch Tuesday review",
}

var patchWindows = []string{"Tue 06:00-07:00", "Wed 22:00-23:00", "Sat 07:00-09:00", "Thu 19:00-20:00"}

var serviceNames = []struct {
	id, name, users string
	tags            []string
}{
	{"email", "Email and calendars", "All staff", []string{"email", "microsoft-365"}},
	{"website", "Public website", "Customers and prospects", []string{"web", "customer-facing"}},
	{"accounts", "Accounts and payroll", "Finance team", []string{"finance"}},
	{"practice", "Practice management system", "All front-desk and clinical staff", []string{"line-of-business"}},
	{"files", "Shared files", "All staff", []string{"files"}},
	{"remote", "Remote working", "Staff working from home", []string{"vpn", "remote-desktop"}},
	{"phones", "Telephony", "Reception and all desk phones", []string{"telecoms"}},
	{"shop", "Online shop", "Customers", []string{"e-commerce", "customer-facing"}},
}

var configTypes = []struct{ typ, prefix, file string }{
	{"certificate", "cert", "certificates"},
	{"domain", "domain", "domains"},
	{"dns-zone", "dns", "dns"},
	{"firewall", "fw", "firewall"},
	{"vpn", "vpn", "vpn"},
	{"backup-job", "backup-job", "backup-jobs"},
	{"license", "licence", "licences"},
	{"identity", "idp", "identity"},
	{"email", "mail", "email"},
	{"network", "net", "network"},
}

var configTitle = map[string]string{
	"certificate": "TLS certificate", "domain": "Domain", "dns-zone": "DNS zone", "firewall": "Firewall rules",
	"vpn": "Site-to-site VPN", "backup-job": "Backup job", "license": "Licence", "identity": "Single sign-on",
	"email": "Mail flow", "network": "Office network",
}

var configSettings = map[string][][2]string{
	"certificate": {{"issuer", "Let's Encrypt R11"}, {"names", "www.%s, %s"}, {"renewal", "certbot timer, twice a day"}},
	"domain":      {{"registrar", "Cloudflare Registrar"}, {"registrar-lock", "true"}, {"dnssec", "true"}},
	"dns-zone":    {{"www", "CNAME to the web server, proxied"}, {"mx", "%s.mail.protection.outlook.com"}, {"spf", "v=spf1 include:spf.protection.outlook.com -all"}},
	"firewall":    {{"inbound", "443 from anywhere; 22 from the Synthetic IT office only"}, {"outbound", "any"}, {"logging", "denied packets, kept 30 days"}},
	"vpn":         {{"peer", "office router, IKEv2"}, {"networks", "10.20.0.0/16 to 10.30.0.0/16"}, {"cipher", "AES-256-GCM, DH group 20"}},
	"backup-job":  {{"includes", "system state, data volumes"}, {"excludes", "temp and cache folders"}, {"copies", "2 on-site, 1 off-site"}},
	"license":     {{"seats", "25"}, {"edition", "Business Premium"}, {"billing", "annual, through the partner account"}},
	"identity":    {{"provider", "Microsoft Entra ID"}, {"mfa", "required for everyone, number matching"}, {"conditional-access", "block legacy authentication"}},
	"email":       {{"inbound", "Exchange Online Protection, then the mailboxes"}, {"dkim", "enabled for %s"}, {"dmarc", "p=quarantine"}},
	"network":     {{"vlans", "10 staff, 20 voice, 30 guest"}, {"wifi", "WPA3 enterprise for staff, captive portal for guests"}, {"switches", "2 stacked, managed in the cloud portal"}},
}

var configSources = []string{
	"The vendor's admin portal (client account), exported to the infrastructure repository after each change",
	"Ansible role in the infrastructure repository",
	"Router web interface; the configuration backup is in the client's SharePoint",
}

var integrationNames = []struct {
	id, name, direction, protocol, auth, data, schedule, impact string
	tags                                                        []string
}{
	{"payments", "Card payments", "outbound", "rest", "api-key", "Order number, amount and customer email", "Real time, at checkout", "Customers cannot pay and orders are not placed.", []string{"payments"}},
	{"erp-export", "Order export to the ERP", "outbound", "sftp", "ssh-key", "Orders, customers and invoices as CSV", "Every 15 minutes", "Orders pile up and are not invoiced until the export runs again.", []string{"erp"}},
	{"payroll-sync", "Payroll sync", "outbound", "rest", "oauth2", "Staff hours and absences", "Nightly at 01:00", "Payroll uses last week's hours; finance must correct by hand.", []string{"finance"}},
	{"webhooks", "Payment webhooks", "inbound", "webhook", "hmac", "Payment events, no card data", "Real time; the sender retries for 3 days", "Paid orders stay unconfirmed until the webhooks catch up.", []string{"webhook"}},
	{"booking", "Online booking", "bidirectional", "rest", "oauth2", "Appointments and patient contact details", "Real time", "Customers cannot book online; reception takes bookings by phone.", []string{"booking"}},
	{"mailer", "Transactional email", "outbound", "smtp", "basic", "Order confirmations and password resets", "Real time", "Customers get no confirmations; orders still go through.", []string{"email"}},
}

var runbookNames = []struct {
	id, title, description, verify, rollback string
	tags                                     []string
	steps                                    []string
}{
	{"restart-services", "Restart the application services", "Restart the services cleanly when the application hangs or after a configuration change.",
		"The health check in the monitoring tool is green and a test user can sign in.", "Nothing to roll back: restarting is safe. If the services do not start, restore the last configuration from git.",
		[]string{"restart", "outage"}, []string{"Check in the monitoring tool that %s is really the problem, not the network.", "Sign in to %s with the admin credential from 1Password.", "Stop the application services, wait 30 seconds, then start them again.", "Watch the application log for errors during start-up."}},
	{"restore-backup", "Restore from backup", "Restore files or the whole machine from the last good backup.",
		"The restored files open and the client's first contact confirms the data is as expected.", "Keep the damaged copy until the client confirms the restore; put it back if they prefer it.",
		[]string{"backup", "restore"}, []string{"Agree with the client what to restore and to which point in time.", "Open the backup console and find the last good backup of %s.", "Restore to a scratch location first and check the files.", "Copy the restored files into place and record the restore in the ticket."}},
	{"renew-certificate", "Renew the TLS certificate", "Renew the certificate by hand when automatic renewal fails.",
		"The browser shows the new expiry date and the monitoring check is green.", "Put the previous certificate back from the backup folder and reload the web server.",
		[]string{"certificate", "tls"}, []string{"Check why automatic renewal failed on %s (DNS, firewall, rate limit).", "Run the renewal by hand and read its output.", "Reload the web server.", "Update the expiry date in the configuration's page."}},
	{"patch", "Apply operating system updates", "Patch the server outside the monthly schedule, for an urgent security fix.",
		"The server is back in monitoring, all services run and the update history shows the patch.", "Roll back to the snapshot taken in the first step.",
		[]string{"patching", "security"}, []string{"Take a snapshot of %s.", "Tell the client's first contact about the reboot.", "Install the updates and reboot.", "Check every service of the server in the monitoring tool."}},
}
