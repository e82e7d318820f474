-- Sets runway.dev/backup-now; the value names the request (the on-demand Job's name hashes it).
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["runway.dev/backup-now"] = "argocd-" .. os.date("!%Y%m%dT%H%M%SZ")
return obj
