-- mod_xepspec_caps_cache_unverified: a deliberately broken caps-processing
-- server, for xepspec.
--
-- Breaks XEP-0115 §5.4 (MUST NOT): "If the values of the received and
-- reconstructed hashes do not match, the processing application MUST
-- consider the result to be invalid and MUST NOT globally cache the
-- verification string". The first answer a client gives about its
-- node#ver is cached for that ver whether it hashes to it or not: another
-- resource that later advertises the same ver is not asked, and the cached
-- answer stands for it (its +notify interests, its last items).
--
-- How: the first client answer to mod_pep's caps query is kept by the ver
-- its node names. When mod_pep then sends its caps query to a resource that
-- advertised such a ver, the query is dropped on its way out and mod_pep is
-- handed the kept answer instead, as if that resource had sent it. Test
-- servers only.

local filters = require "prosody.util.filters";
local st = require "prosody.util.stanza";
local jid_bare = require "prosody.util.jid".bare;

module:depends("pep");

local DISCO_INFO = "http://jabber.org/protocol/disco#info";

local by_ver = {}; -- ver -> the first disco#info answer about node#ver

local function ver_of(query)
	return query and query.attr.node and query.attr.node:match("#([^#]+)$");
end

module:hook("iq-result/bare/disco", function(event)
	local query = event.stanza:get_child("query", DISCO_INFO);
	local ver = ver_of(query);
	if ver and not by_ver[ver] then
		by_ver[ver] = st.clone(query);
	end
end, 20);

local function answer_from_cache(stanza, session)
	if stanza.name ~= "iq" or stanza.attr.type ~= "get" or stanza.attr.id ~= "disco" then
		return stanza;
	end
	local cached = by_ver[ver_of(stanza:get_child("query", DISCO_INFO)) or ""];
	if not (cached and session.full_jid) then
		return stanza;
	end
	local answer = st.iq({ type = "result", id = "disco", from = session.full_jid,
		to = jid_bare(session.full_jid) }):add_child(st.clone(cached));
	module:fire_event("iq-result/bare/disco", { origin = session, stanza = answer });
	return nil;
end

local function on_session(session)
	filters.add_filter(session, "stanzas/out", answer_from_cache);
end

filters.add_filter_hook(on_session);

function module.unload()
	filters.remove_filter_hook(on_session);
end
