-- mod_xepspec_bookmarks_autojoin: a deliberately broken bookmarks store,
-- for xepspec.
--
-- Breaks XEP-0402 §5.3.1 "When a client publishes a new item, the server
-- MAY collate all items, casting them into the 'storage:bookmarks'
-- namespace and setting the jid attribute to the item id in each case." and
-- §5.3.2 "If a client publishes a replacement list of bookmarks via the
-- older specifications, a server MAY examine the list and update the
-- individual items as required" as far as 'autojoin' goes: the value
-- crosses the conversion in the other lexical form of the same xs:boolean
-- ("true" becomes "1", "1" becomes "true", "false" "0", "0" "false"), both
-- when Bookmarks 2 items are shown as XEP-0049 private XML and when a
-- XEP-0049 list is turned into Bookmarks 2 items. Names, nicks, jids and
-- everything outside the conversion are unchanged.
--
-- How: two stanza filters on every session (the rewrite only touches
-- jabber:iq:private bookmarks, which only clients exchange). Outgoing: a
-- jabber:iq:private result carrying storage:bookmarks (only mod_bookmarks
-- makes those, from the PEP items) has its conferences' autojoin
-- rewritten. Incoming: a jabber:iq:private set of storage:bookmarks (which
-- mod_bookmarks turns into PEP items) has its autojoin rewritten before
-- mod_bookmarks reads it.
-- It only makes sense on a test server.

module:depends("bookmarks");

local filters = require "prosody.util.filters";

local other_form = { ["true"] = "1", ["1"] = "true", ["false"] = "0", ["0"] = "false" };

local function rewrite(stanza, type)
	if stanza.name ~= "iq" or stanza.attr.type ~= type then return stanza; end
	local query = stanza:get_child("query", "jabber:iq:private");
	local storage = query and query:get_child("storage", "storage:bookmarks");
	if not storage then return stanza; end
	for conference in storage:childtags("conference") do
		local autojoin = conference.attr.autojoin;
		if autojoin and other_form[autojoin] then
			conference.attr.autojoin = other_form[autojoin];
		end
	end
	return stanza;
end

local function outgoing(stanza) return rewrite(stanza, "result"); end
local function incoming(stanza) return rewrite(stanza, "set"); end

local function add_filters(session)
	filters.add_filter(session, "stanzas/out", outgoing);
	filters.add_filter(session, "stanzas/in", incoming);
end

filters.add_filter_hook(add_filters);

function module.unload()
	filters.remove_filter_hook(add_filters);
end
