-- mod_xepspec_private_empty_query: a deliberately broken private XML store,
-- for xepspec.
--
-- Breaks XEP-0049 §2.3 "At least one child element with a proper namespace
-- MUST be included; otherwise the server MUST respond with a "Not
-- Acceptable" error" (and the "Bad Format" the same section names for a get
-- without a child): a jabber:iq:private get or set whose query has no child
-- is answered with <bad-request/>, a condition XEP-0049 does not name.
-- Every query with a child is left to mod_private and mod_bookmarks.
--
-- How: a handler on iq/bare/jabber:iq:private:query above mod_bookmarks'
-- (priority 1), which answers only queries without a child element.
-- It only makes sense on a test server.

module:depends("private");

local st = require "prosody.util.stanza";

module:hook("iq/bare/jabber:iq:private:query", function(event)
	local stanza = event.stanza;
	local query = stanza.tags[1];
	if #query.tags ~= 0 then return; end
	event.origin.send(st.error_reply(stanza, "modify", "bad-request"));
	return true;
end, 10);
