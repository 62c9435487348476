-- mod_xepspec_caps_query_without_node: a deliberately broken caps-processing
-- server, for xepspec.
--
-- Breaks XEP-0115 §6.2 (MUST): "The disco 'node' attribute MUST be included
-- for backwards-compatibility." The disco#info query the PEP service sends a
-- client to learn what a new caps ver means goes out without its 'node'
-- attribute, as a plain disco#info of the full JID. The answer is processed
-- as before (the service hashes what it is told), so a client that answers
-- the bare query still gets its notifications.
--
-- How: a filter on every session's outgoing stanzas removes 'node' from
-- mod_pep's caps query (an IQ get with id "disco" carrying a disco#info
-- query). Test servers only.

local filters = require "prosody.util.filters";

local DISCO_INFO = "http://jabber.org/protocol/disco#info";

local function without_node(stanza)
	if stanza.name == "iq" and stanza.attr.type == "get" and stanza.attr.id == "disco" then
		local query = stanza:get_child("query", DISCO_INFO);
		if query then
			query.attr.node = nil;
		end
	end
	return stanza;
end

local function on_session(session)
	filters.add_filter(session, "stanzas/out", without_node);
end

filters.add_filter_hook(on_session);

function module.unload()
	filters.remove_filter_hook(on_session);
end
