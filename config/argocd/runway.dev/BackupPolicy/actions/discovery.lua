local actions = {}
-- One on-demand backup Job per request: offered unless a request is still pending.
local pending = obj.metadata.annotations ~= nil and obj.metadata.annotations["runway.dev/backup-now"] ~= nil
actions["backup-now"] = {["disabled"] = pending}
return actions
