-- mod_xepspec_items_lost_on_logout: a deliberately broken PEP service, for
-- xepspec.
--
-- Breaks XEP-0223 §2 (MUST): "a node MUST be configured as follows: Set
-- pubsub#persist_items to true.", the persistence private data relies on.
-- Nodes still claim persist_items true, but when the last session of an
-- account ends, every item of every PEP node of that account is purged
-- (silently: nobody is notified). While the account is online everything
-- behaves as before.
--
-- How: a handler of resource-unbind that, once the account has no session
-- left, purges each node of its PEP service (mod_pep's get_pep_service).
-- Test servers only.

local pep = module:depends("pep");

local jid_join = require "prosody.util.jid".join;

module:hook("resource-unbind", function(event)
	local session = event.session;
	local username = session and session.username;
	if not username then return; end
	if prosody.bare_sessions[jid_join(username, module.host)] then return; end
	local service = pep.get_pep_service(username);
	for node in pairs(service.nodes) do
		local ok, err = service:purge(node, true, false);
		module:log("debug", "purged %s of %s: %s %s", node, username, tostring(ok), tostring(err));
	end
end);
