-- mod_xepspec_precondition_not_acceptable: a deliberately broken PEP
-- service, for xepspec.
--
-- Breaks XEP-0060 §7.1.5 (MUST): "If the node exists and the precondition
-- is not met, then the publish MUST fail with a <conflict/> error condition
-- and a pubsub-specific condition of <precondition-not-met/>." The
-- precondition is still checked and the publish still fails, but with
-- <not-acceptable/> (modify) instead, and no pubsub-specific condition.
--
-- How: wraps the publish method of every account's PEP service (announced
-- by mod_pep as a "pep-service" item) and renames that one failure. Test
-- servers only.

module:depends("pep");

local function rename_failure(event)
	local service = event.item and event.item.service;
	if not service then return; end
	local publish = service.publish;
	function service:publish(...)
		local ok, err, context = publish(self, ...);
		if not ok and err == "precondition-not-met" then
			return false, "not-acceptable";
		end
		return ok, err, context;
	end
end

module:handle_items("pep-service", rename_failure, function() end);
