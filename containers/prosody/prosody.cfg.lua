-- xepspec test target: Prosody for the virtual host capulet.lit.
--
-- Serves Debian's Prosody 0.12 (bookworm) and 13.x (trixie, forky) alike:
-- every option below exists in both. 0.11 (bullseye) reads it too; it lacks
-- mod_bookmarks (XEP-0402 came with 0.12) and mod_smacks, logs "Unable to
-- load module" for each at start and runs without them; its
-- mod_register_limits knows the allowlist as registration_whitelist, which
-- does not matter here because nothing sets a throttle. It is a TEST configuration: plaintext
-- login, open registration with no throttling, no bandwidth limits, no
-- persistence. Never expose it.

-- Run in the foreground (`prosody -F`) as the prosody user; never daemonize.
run_as_root = false

-- Log to the container's stdout, not to files or syslog.
log = {
	{ levels = { min = "info" }, to = "stdout" };
}

-- State lives in memory: every container starts with no data but the
-- pre-made accounts, which mod_xepspec_accounts makes when the server starts
-- (below). With registration closed (XEPSPEC_REGISTRATION=closed, below) the
-- test makes further accounts with `prosodyctl register`, another process,
-- so all state goes to files under /var/lib/prosody then.
default_storage = ENV_XEPSPEC_REGISTRATION == "closed" and "internal" or "memory"

-- The pre-made accounts with a role (containers/targets.toml lists them with
-- their passwords; mod_xepspec_accounts makes them): an administrator, for
-- XEP-0133 service administration (mod_admin_adhoc) and a pubsub service
-- owner of every node.
admins = { "admin@capulet.lit" }
-- mod_xepspec_accounts makes these at start; names and passwords must agree
-- with containers/targets.toml's [[target.account]].
xepspec_accounts = { admin = "balthasar-capulet-lit" }
-- mod_watchregistrations (loaded along with the registration modules) tells
-- the admins of every registration by message; a test run registers dozens of
-- accounts a second, and those messages would pile up for the admin account.
registration_watchers = {}
authentication = "internal_hashed" -- SASL SCRAM-SHA-1 and PLAIN

-- c2s only, on all IPv4 addresses of the container (it may have no IPv6).
c2s_ports = { 5222 }
c2s_interfaces = { "*" }
-- No server-to-server traffic, no HTTP, no components.
modules_disabled = { "s2s" }

-- STARTTLS is offered (self-signed certificate, see the Dockerfile) but not
-- required, and PLAIN is offered on unencrypted streams too.
c2s_require_encryption = false
allow_unencrypted_plain_auth = true

-- Generous stanza sizes (defaults: 256 KiB authenticated, 10 000 bytes before).
c2s_stanza_size_limit = 10 * 1024 * 1024
c2s_unauthed_stanza_size_limit = 1024 * 1024

-- Open in-band registration (XEP-0077) with no throttling: mod_register_limits
-- throttles only when min_seconds_between_registrations or
-- registration_throttle_max is set (neither is), and every address is on the
-- allowlist, which also bypasses any throttle.
-- `docker run -e XEPSPEC_REGISTRATION=closed` closes it, to stand in for a
-- server whose accounts are made by its admin (`prosodyctl register`);
-- Prosody reads ENV_<NAME> from the environment.
allow_registration = ENV_XEPSPEC_REGISTRATION ~= "closed"
registration_allowlist = { "0.0.0.0/0", "::/0" }

-- PEP node limit for pubsub#max_items = "max" (Prosody's default is 256).
pep_max_items = 256

modules_enabled = {
	-- Core
	"roster";      -- RFC 6121 roster
	"saslauth";    -- SASL (PLAIN, SCRAM-SHA-1)
	"tls";         -- STARTTLS
	"disco";       -- XEP-0030, with XEP-0115 caps in stream features
	"posix";       -- 0.12: SIGTERM handling, refuse root (13: built in)
	-- Accounts
	"register";    -- XEP-0077 in-band registration
	-- Storage / PEP
	"pep";         -- XEP-0163 with publish-options and auto-create
	"private";     -- XEP-0049 private XML storage
	"bookmarks";   -- XEP-0402 bookmarks, XEP-0048/XEP-0049 compatibility
	"vcard4";      -- XEP-0292 vCard4 in PEP
	"vcard_legacy"; -- XEP-0054 vcard-temp, kept in sync with PEP (XEP-0398)
	-- Misc
	"ping";        -- XEP-0199
	"blocklist";   -- XEP-0191
	"carbons";     -- XEP-0280
	"smacks";      -- XEP-0198 stream management
	"csi_simple";  -- XEP-0352
	"version";     -- XEP-0092
	"time";        -- XEP-0202
	"uptime";      -- XEP-0012
	-- Administration
	"adhoc";       -- XEP-0050 ad-hoc commands
	"admin_adhoc"; -- XEP-0133 service administration, for the admins above
	"xepspec_accounts"; -- ours: makes the pre-made accounts at start
	-- Auto-loaded by the core: "presence", "message", "iq", "offline", "c2s".
	-- Deliberately NOT loaded: "limits" (c2s rate limiting), "mam",
	-- "http*", "invites*", "admin_shell"/"admin_telnet", "dialback".
	-- MUC and generic pubsub run as components, below.
}

VirtualHost "capulet.lit"
	ssl = {
		certificate = "/etc/prosody/certs/capulet.lit.crt";
		key = "/etc/prosody/certs/capulet.lit.key";
	}

-- The services of containers/targets.toml (`services`): a generic XEP-0060
-- pubsub service and a XEP-0045 MUC service, both open to every local user.
-- The certificate covers *.capulet.lit.
--
-- mod_pubsub lets only admins create nodes (0.12: admins only; 13: the
-- `:create-node` permission of prosody:admin); mod_pubsub_local_create
-- (this recipe's own module) lets every account of capulet.lit create them,
-- and the creator owns its node. autocreate_on_publish stays off, so a
-- publish to a missing node fails as XEP-0060 §7.1.3.3 says.
Component "pubsub.capulet.lit" "pubsub"
	name = "capulet.lit pubsub"
	modules_enabled = { "pubsub_local_create" }
	pubsub_local_create_host = "capulet.lit"

-- Rooms are created by whoever joins first (restrict_room_creation is off
-- by default).
Component "conference.capulet.lit" "muc"
	name = "capulet.lit chatrooms"
	restrict_room_creation = false
