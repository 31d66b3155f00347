{{/* The chart's name, for labels. */}}
{{- define "ebb.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Name of the namespaced objects and the prefix of the cluster-scoped ones. Release "ebb" gives
"ebb" (the names config/iam/README.md assumes); any other release gives "<release>-ebb".
*/}}
{{- define "ebb.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else if contains (include "ebb.name" .) .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name (include "ebb.name" .) | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{/* Labels that select Ebb's own pods: the Deployment, Services, PDB and peer discovery use them. */}}
{{- define "ebb.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ebb.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "ebb.labels" -}}
{{ include "ebb.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: ebb
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end }}

{{/* The same selector as one label-selector string, for EBB_CLUSTER_PEER_SELECTOR. */}}
{{- define "ebb.selector" -}}
{{- $pairs := list }}
{{- range $k, $v := include "ebb.selectorLabels" . | fromYaml }}
{{- $pairs = append $pairs (printf "%s=%s" $k $v) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{- define "ebb.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ebb.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding the replicas' shared peer token. */}}
{{- define "ebb.peerTokenSecret" -}}
{{- default (printf "%s-peer-token" (include "ebb.fullname" .)) .Values.cluster.peerToken.existingSecret }}
{{- end }}

{{- define "ebb.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}

{{/* Ebb's in-cluster gateway URL: the ebb-gateway Service in the release namespace. */}}
{{- define "ebb.gatewayUrl" -}}
{{- default (printf "http://%s.%s" .Values.gateway.service.name .Release.Namespace) .Values.gateway.url }}
{{- end }}
