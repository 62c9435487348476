-- mod_xepspec_persist_items_reported_false: a deliberately broken PEP
-- service, for xepspec.
--
-- Breaks XEP-0223 §2: "a node MUST be configured as follows: Set
-- pubsub#persist_items to true." The node configuration form a node owner
-- retrieves (XEP-0060 §8.2) says pubsub#persist_items is "0", whatever the
-- node's configuration; the items are still kept as before. (Both "1" and
-- "true" mean true, so a check must accept either and only this fails.)
--
-- How: an outgoing stanza filter on each client session that rewrites the
-- pubsub#persist_items value of a node configuration form in an IQ result.
-- Test servers only.

module:depends("pep");


local xmlns_pubsub_owner = "http://jabber.org/protocol/pubsub#owner";
local xmlns_data = "jabber:x:data";

local function report_false(stanza)
	if stanza.name == "iq" and stanza.attr.type == "result" then
		local pubsub = stanza:get_child("pubsub", xmlns_pubsub_owner);
		local configure = pubsub and pubsub:get_child("configure");
		local form = configure and configure:get_child("x", xmlns_data);
		if form then
			for field in form:childtags("field") do
				if field.attr.var == "pubsub#persist_items" then
					field:maptags(function(tag)
						if tag.name == "value" then return nil; end
						return tag;
					end);
					field:text_tag("value", "0");
				end
			end
		end
	end
	return stanza;
end

module:require("xepspec_filters").filters_on_client_sessions({ ["stanzas/out"] = report_false });
