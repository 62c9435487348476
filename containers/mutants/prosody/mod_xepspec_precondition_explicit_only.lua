-- mod_xepspec_precondition_explicit_only: a deliberately broken PEP
-- service, for xepspec.
--
-- Breaks XEP-0060 §7.1.5 (MUST): "If the node exists and the precondition
-- is met, then the publish succeeds." for preconditions on fields the node
-- never set explicitly. A precondition is compared only with the fields
-- the node's configuration was given (at creation or by a configure);
-- a field left at the service's default counts as different, so a
-- publish whose precondition equals the default (access_model "presence"
-- on a node auto-created by a plain publish) fails with <conflict/> +
-- <precondition-not-met/>. Preconditions on explicitly set fields, and
-- publishes that create their node, are unchanged.
--
-- How: wraps the publish method of every account's PEP service (announced
-- by mod_pep as a "pep-service" item) and checks the precondition against
-- the explicitly stored fields first. Test servers only.

module:depends("pep");

local function explicit_only(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local publish = service.publish;
	function service:publish(node, actor, id, item, requested_config)
		local node_obj = self.nodes[node];
		if node_obj and requested_config and not requested_config._defaults_only then
			for field, value in pairs(requested_config) do
				if rawget(node_obj.config, field) ~= value then
					return false, "precondition-not-met", { field = field };
				end
			end
		end
		return publish(self, node, actor, id, item, requested_config);
	end
end

module:handle_items("pep-service", explicit_only, function() end);
