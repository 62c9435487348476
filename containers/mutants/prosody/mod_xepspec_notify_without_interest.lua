-- mod_xepspec_notify_without_interest: a deliberately broken PEP service,
-- for xepspec.
--
-- Breaks XEP-0163 §4: "The entity is the account owner itself, in which case
-- the PEP service shall send notifications to all of the account owner's
-- available resources (subject to notification filtering)." Filtering is
-- dropped for the owner: item notifications go to every available resource
-- of the account, whether or not its XEP-0115 caps show +notify interest
-- in the node (one notification each, still from the bare JID). Contacts
-- are filtered as before.
--
-- How: wraps the broadcaster of every account's PEP service (announced by
-- mod_pep as a "pep-service" item) and adds the owner's other resources to
-- the recipients of item notifications. Test servers only.

module:depends("pep");

local jid_split = require "prosody.util.jid".split;

local function unfiltered(event)
	local service = event.item and event.item.service;
	local owner = event.item and event.item.jid;
	if not (service and owner) then return; end
	local username, host = jid_split(owner);
	local broadcaster = service.config.broadcaster;
	service.config.broadcaster = function(kind, node, jids, item, ...)
		local user = prosody.hosts[host] and prosody.hosts[host].sessions[username];
		if kind == "items" and user and user.sessions then
			local all = {};
			for jid, opts in pairs(jids) do
				all[jid] = opts;
			end
			for _, session in pairs(user.sessions) do
				if session.full_jid and session.presence then
					all[session.full_jid] = true;
				end
			end
			jids = all;
		end
		return broadcaster(kind, node, jids, item, ...);
	end
end

module:handle_items("pep-service", unfiltered, function() end);
