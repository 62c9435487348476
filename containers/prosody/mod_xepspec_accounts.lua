-- mod_xepspec_accounts: makes a test image's pre-made accounts each time the
-- server starts (xepspec's own module, for its test images).
--
-- The accounts and their passwords come from the option `xepspec_accounts`
-- ({ name = "password" }, containers/targets.toml lists the same). Making
-- them at start rather than at build time (`prosodyctl register`, another
-- process) lets every store, accounts included, stay in memory: file storage
-- costs each registration a file written, and with thirty servers
-- registering at once on two cores those writes stalled Prosody for seconds.
-- An account that already exists (registration closed: files) is left as
-- it is.

local usermanager = require "core.usermanager";

local accounts = module:get_option("xepspec_accounts", {});

local function make_accounts()
	for username, password in pairs(accounts) do
		if not usermanager.user_exists(username, module.host) then
			local ok, err = usermanager.create_user(username, password, module.host);
			if ok then
				module:log("info", "made the pre-made account %s@%s", username, module.host);
			else
				module:log("error", "could not make %s@%s: %s", username, module.host, tostring(err));
			end
		end
	end
end

-- Modules load before the server starts listening; the first client is
-- read only after "server-started" has been handled.
module:hook_global("server-started", make_accounts);
