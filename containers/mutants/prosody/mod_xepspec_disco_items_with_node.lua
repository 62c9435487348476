-- mod_xepspec_disco_items_with_node: a deliberately broken PEP service, for
-- xepspec.
--
-- Breaks XEP-0060 §5.5: "The 'name' attribute of each Service Discovery
-- item MUST contain its ItemID and the item MUST NOT possess a 'node'
-- attribute." The items a disco#items query on a node lists (its published
-- items) carry the node's NodeID in a 'node' attribute, as if they were
-- child nodes.
--
-- How: an outgoing stanza filter on each client session that adds the
-- query's 'node' to each listed <item/> of a disco#items result addressed
-- to a node. Test servers only.

module:depends("pep");


local xmlns_disco_items = "http://jabber.org/protocol/disco#items";

local function items_with_node(stanza)
	if stanza.name == "iq" and stanza.attr.type == "result" then
		local query = stanza:get_child("query", xmlns_disco_items);
		local node = query and query.attr.node;
		if node then
			for item in query:childtags("item") do
				if item.attr.name and not item.attr.node then
					item.attr.node = node;
				end
			end
		end
	end
	return stanza;
end

module:require("xepspec_filters").filters_on_client_sessions({ ["stanzas/out"] = items_with_node });
