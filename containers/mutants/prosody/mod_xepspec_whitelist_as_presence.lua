-- mod_xepspec_whitelist_as_presence: a deliberately broken PEP service, for
-- xepspec.
--
-- Breaks XEP-0060 §6.5.1 (MUST): "If the access model is "authorize" or
-- "whitelist", the service MUST allow only subscribed entities to retrieve
-- items.", and so the private storage of XEP-0223 §2, whose nodes MUST use
-- the whitelist model. A node whose access model is "whitelist" is treated
-- as if it were "presence": every contact with a presence subscription to
-- the account may retrieve its items, learn of its nodes and receive its
-- notifications. The node's configuration still says "whitelist", so
-- publish-options preconditions behave as before.
--
-- How: wraps the method that maps an access model to a default
-- affiliation on every account's PEP service (announced by mod_pep as a
-- "pep-service" item). Test servers only.

module:depends("pep");

local function leaky_whitelist(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local default_affiliation = service.get_default_affiliation;
	function service:get_default_affiliation(node, actor)
		local node_obj = self.nodes[node];
		local models = self.config.access_models;
		if node_obj and node_obj.config.access_model == "whitelist"
		and models and models.presence then
			return models.presence(actor, node_obj);
		end
		return default_affiliation(self, node, actor);
	end
end

module:handle_items("pep-service", leaky_whitelist, function() end);
