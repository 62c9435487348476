-- xepspec_filters.lib.lua: what the mutants that rewrite stanzas share.
-- A mutant loads it with module:require("xepspec_filters") (it runs in the
-- mutant's own module environment) and names its filters by direction:
--
--   filters_on_client_sessions({ ["stanzas/out"] = rewrite });
--
-- Each filter is then added to every client session, and removed with the
-- module. Test servers only.

local filters = require "prosody.util.filters";

local function filters_on_client_sessions(by_direction)
	local function add(session)
		if session.type == "c2s_unauthed" or session.type == "c2s" then
			for direction, filter in pairs(by_direction) do
				filters.add_filter(session, direction, filter);
			end
		end
	end
	function module.load()
		filters.add_filter_hook(add);
	end
	function module.unload()
		filters.remove_filter_hook(add);
	end
end

return { filters_on_client_sessions = filters_on_client_sessions };
