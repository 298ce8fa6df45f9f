-- Argo CD health of Kiln's kinds (Instance, Snapshot, MachineImage, ImagePolicy): set it in argocd-cm under
-- resource.customizations.health.kiln.dev_* . It reads the conditions every Kiln kind carries:
--   Degraded     Stalled is True: failed, and will not get there without a change to its spec
--   Healthy      Ready is True: the machine runs and is ready, the snapshot can be restored, the
--                image can be launched (a Deprecated image still can, by name)
--   Suspended    an Instance stopped, a MachineImage disabled or an ImagePolicy suspended, as its spec
--                asks (Reconciling False)
--   Progressing  anything on its way, including an Instance a MachineImage holds stopped
local health = { status = "Progressing", message = "waiting for the operator" }
local status = obj.status
if status == nil then
  return health
end
if status.observedGeneration ~= nil and obj.metadata.generation ~= nil
    and status.observedGeneration < obj.metadata.generation then
  health.message = "waiting for the operator to see the latest spec"
  return health
end
local function condition(type)
  for _, c in ipairs(status.conditions or {}) do
    if c.type == type then
      return c
    end
  end
  return nil
end
local ready = condition("Ready")
local stalled = condition("Stalled")
local reconciling = condition("Reconciling")
if stalled ~= nil and stalled.status == "True" then
  health.status = "Degraded"
  health.message = stalled.reason .. ": " .. (stalled.message or "")
elseif ready ~= nil and ready.status == "True" then
  health.status = "Healthy"
  health.message = status.phase == "Deprecated" and "deprecated; still launchable by name" or (ready.message or "")
elseif ((obj.kind == "Instance" and status.phase == "Stopped") or (obj.kind == "MachineImage" and status.phase == "Disabled")
    or (obj.kind == "ImagePolicy" and ready ~= nil and ready.reason == "Suspended"))
    and reconciling ~= nil and reconciling.status == "False" then
  health.status = "Suspended"
  health.message = ready ~= nil and ready.message or status.phase
elseif ready ~= nil then
  health.message = (status.phase or "Pending") .. ": " .. (ready.message or "")
end
return health
