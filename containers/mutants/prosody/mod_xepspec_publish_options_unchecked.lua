-- mod_xepspec_publish_options_unchecked: a deliberately broken PEP service,
-- for xepspec.
--
-- Breaks XEP-0060 §7.1.5 (MUST): "If the node exists and the precondition
-- is not met, then the publish MUST fail with a <conflict/> error condition
-- and a pubsub-specific condition of <precondition-not-met/>." On a node
-- that already exists, the publish-options form is dropped before the
-- service sees it, so no precondition is ever compared and a mismatching
-- publish is accepted. A publish that auto-creates its node still passes
-- the form on, so nodes are created with the configuration asked for
-- (XEP-0223 §3 and rule 3 of §7.1.5 keep working).
--
-- How: every account's PEP service is announced by mod_pep as a
-- "pep-service" item; this module wraps that service's publish method.
-- Test servers only.

module:depends("pep");

local function unchecked(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local publish = service.publish;
	function service:publish(node, actor, id, item, requested_config)
		if requested_config and self.nodes[node] then
			requested_config = nil;
		end
		return publish(self, node, actor, id, item, requested_config);
	end
end

module:handle_items("pep-service", unchecked, function() end);
