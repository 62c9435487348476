-- mod_pubsub_local_create: lets every account of one host create nodes on
-- the pubsub component it is loaded on (xepspec's own module, for its test
-- images).
--
-- Prosody's mod_pubsub grants node creation to admins only (0.12), or to
-- holders of its `:create-node` permission, prosody:admin by default (13).
-- A test service needs "open node creation": here a creation request from a
-- JID of the host `pubsub_local_create_host` (default: the component's
-- parent domain) is allowed; every other request is decided as before. The
-- creator becomes the node's owner as usual, so what owners, publishers and
-- others may do afterwards is mod_pubsub's own policy, untouched.
--
-- How: wraps the `may` method of the component's pubsub service (mod_pubsub
-- exposes it with get_service()), for the action "create" only.

local jid_split = require "util.jid".split;

local parent_host = module:get_option_string("pubsub_local_create_host",
	module.host:match("^[^.]+%.(.+)$"));

local mod_pubsub = module:depends("pubsub");

local function open_creation(service)
	if not service or service.xepspec_local_create then return; end
	local may = service.may;
	function service:may(node, actor, action)
		if action == "create" and type(actor) == "string" then
			local _, host = jid_split(actor);
			if host == parent_host then
				return true;
			end
		end
		return may(self, node, actor, action);
	end
	service.xepspec_local_create = true;
end

open_creation(mod_pubsub.get_service());
module:log("info", "accounts of %s may create nodes", tostring(parent_host));
