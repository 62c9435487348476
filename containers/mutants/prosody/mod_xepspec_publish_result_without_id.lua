-- mod_xepspec_publish_result_without_id: a deliberately broken PEP service,
-- for xepspec.
--
-- Breaks XEP-0060 §7.1.2 (SHOULD): "If the publish request did not include
-- an ItemID, the IQ-result SHOULD include an empty <item/> element that
-- specifies the ItemID of the published item." Every successful publish is
-- answered with a bare IQ result: the <pubsub/> payload carrying the item
-- id is removed. The item is stored and notified under its id as before.
--
-- How: an outgoing stanza filter on each client session that empties IQ
-- results carrying a pubsub <publish/>. Test servers only.

module:depends("pep");


local xmlns_pubsub = "http://jabber.org/protocol/pubsub";

local function strip_publish_result(stanza)
	if stanza.name == "iq" and stanza.attr.type == "result" then
		local pubsub = stanza:get_child("pubsub", xmlns_pubsub);
		if pubsub and pubsub:get_child("publish") then
			stanza:maptags(function(tag)
				if tag == pubsub then return nil; end
				return tag;
			end);
		end
	end
	return stanza;
end

module:require("xepspec_filters").filters_on_client_sessions({ ["stanzas/out"] = strip_publish_result });
