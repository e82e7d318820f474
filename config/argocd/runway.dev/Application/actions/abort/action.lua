-- Sets runway.dev/abort; the operator acts on it once and removes it.
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["runway.dev/abort"] = os.date("!%Y-%m-%dT%H:%M:%SZ")
return obj
