-- mod_xepspec_bookmarks_no_retract: a deliberately broken bookmarks store,
-- for xepspec.
--
-- Breaks XEP-0402 §3.5 "This implies that server support for the
-- "delete-items" pubsub feature is REQUIRED.": a retract on a user's own
-- 'urn:xmpp:bookmarks:1' node is refused with <feature-not-implemented/>
-- and <unsupported feature='delete-items'/> (XEP-0060 §7.2.3.1), and the
-- bookmark stays. Retracts on every other node, and everything else on the
-- bookmarks node, are left to mod_pep and mod_bookmarks.
--
-- How: a handler on iq/bare/http://jabber.org/protocol/pubsub:pubsub above
-- mod_bookmarks' (priority 1) and mod_pep's.
-- It only makes sense on a test server.

module:depends("pep");

local st = require "prosody.util.stanza";

local xmlns_pubsub = "http://jabber.org/protocol/pubsub";

module:hook("iq/bare/" .. xmlns_pubsub .. ":pubsub", function(event)
	local stanza = event.stanza;
	if stanza.attr.type ~= "set" then return; end
	local retract = stanza.tags[1]:get_child("retract");
	if not retract or retract.attr.node ~= "urn:xmpp:bookmarks:1" then return; end
	local reply = st.error_reply(stanza, "cancel", "feature-not-implemented");
	reply:get_child("error")
		:tag("unsupported", { xmlns = xmlns_pubsub .. "#errors", feature = "delete-items" }):up();
	event.origin.send(reply);
	return true;
end, 10);
