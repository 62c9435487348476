-- mod_xepspec_notify_bare_jid: a deliberately broken PEP service, for
-- xepspec.
--
-- Breaks XEP-0163 §4.3.2 (MUST): "the PEP service MUST send one notification
-- to the full JID <localpart@domain.tld/resource> of each of the
-- subscriber's available resources that have included XEP-0115 information
-- indicating an interest in the data format." Every item notification is
-- also sent to the bare JID of each recipient, which the server then
-- delivers to the account's resources, so they get it twice (and resources
-- without +notify interest get it too). This is the behaviour ejabberd
-- before 24.10 had (its issue 4158).
--
-- How: wraps the broadcaster of every account's PEP service (announced by
-- mod_pep as a "pep-service" item) and adds the bare JIDs to the
-- recipients of item notifications. Test servers only.

module:depends("pep");

local jid_bare = require "prosody.util.jid".bare;

local function doubled(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local broadcaster = service.config.broadcaster;
	service.config.broadcaster = function(kind, node, jids, item, ...)
		if kind == "items" then
			local with_bare = {};
			for jid, opts in pairs(jids) do
				with_bare[jid] = opts;
				with_bare[jid_bare(jid)] = true;
			end
			jids = with_bare;
		end
		return broadcaster(kind, node, jids, item, ...);
	end
end

module:handle_items("pep-service", doubled, function() end);
