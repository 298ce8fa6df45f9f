{{- define "kiln.labels" -}}
app.kubernetes.io/name: kiln
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end }}

{{- define "kiln.selectorLabels" -}}
app.kubernetes.io/name: kiln
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "kiln.serviceAccountName" -}}
{{- .Values.serviceAccount.name | default .Release.Name }}
{{- end }}

{{/*
What the operator does in the namespaces it watches. The same rules serve a ClusterRole (every
namespace) or one Role per watched namespace.
*/}}
{{- define "kiln.namespacedRules" -}}
- apiGroups: [kiln.dev]
  resources: [instances, snapshots, machineimages]
  verbs: [get, list, watch, patch]
# ImagePolicies are only watched: a policy needs no finalizer (its images outlive it).
- apiGroups: [kiln.dev]
  resources: [imagepolicies]
  verbs: [list, watch]
# MachineImages are created and deregistered by ImagePolicies.
- apiGroups: [kiln.dev]
  resources: [instances, snapshots, machineimages]
  verbs: [create, delete]
- apiGroups: [kiln.dev]
  resources: [instances/status, snapshots/status, machineimages/status, imagepolicies/status]
  verbs: [patch]
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list, watch, create, delete]
- apiGroups: [""]
  resources: [persistentvolumeclaims]
  verbs: [get, list, watch, create, patch, delete]
# Exec over WebSocket is authorised as get, over SPDY as create; Kiln runs freeze and thaw commands.
- apiGroups: [""]
  resources: [pods/exec]
  verbs: [get, create]
- apiGroups: [snapshot.storage.k8s.io]
  resources: [volumesnapshots]
  verbs: [list, watch, create, delete]
- apiGroups: [events.k8s.io]
  resources: [events]
  verbs: [create]
{{- end }}
