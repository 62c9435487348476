-- mod_xepspec_notification_from_domain: a deliberately broken PEP service,
-- for xepspec.
--
-- Breaks XEP-0223 §8 (MUST): "clients MUST verify that the 'from' attribute
-- on incoming event messages is either absent or equal to their own account
-- JID.", which a server can only let its clients do if it sends its own PEP
-- notifications from the account's bare JID (XEP-0163 §4.3.1 shows them
-- so). Every PEP event notification leaves from the server's domain instead
-- of the publishing account's bare JID; its content and recipients are
-- unchanged.
--
-- How: a handler on messages to full JIDs, ahead of delivery, that rewrites
-- the 'from' of pubsub#event messages sent by the host on an account's
-- behalf. Test servers only.

module:depends("pep");

local jid_split = require "prosody.util.jid".split;

local xmlns_pubsub_event = "http://jabber.org/protocol/pubsub#event";

local function from_domain(event)
	local stanza, origin = event.stanza, event.origin;
	if origin.type ~= "local" then return; end
	if not stanza:get_child("event", xmlns_pubsub_event) then return; end
	local node, host, resource = jid_split(stanza.attr.from);
	if node and host == module.host and not resource then
		stanza.attr.from = module.host;
	end
end

module:hook("message/full", from_domain, 10);
