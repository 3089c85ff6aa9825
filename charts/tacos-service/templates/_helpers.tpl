{{/* Name of every object: the service name. */}}
{{- define "tacos.name" -}}
{{- required "name is required" .Values.name -}}
{{- end -}}

{{/* Selector labels: stable for the life of the Deployment. */}}
{{- define "tacos.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tacos.name" . }}
app.kubernetes.io/instance: {{ include "tacos.name" . }}
{{- end -}}

{{/* Recommended labels plus the cost labels. */}}
{{- define "tacos.labels" -}}
{{ include "tacos.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.version | default .Values.image.tag | quote }}
app.kubernetes.io/component: {{ .Values.component }}
app.kubernetes.io/part-of: traffic-tacos
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The image, by digest when one is given. */}}
{{- define "tacos.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* A NetworkPolicy peer from {service | namespace | cidrs}. */}}
{{- define "tacos.peers" -}}
{{- if .service }}
- podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ .service }}
{{- else if .namespace }}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ .namespace }}
{{- else }}
{{- range .cidrs }}
- ipBlock:
    cidr: {{ . }}
{{- end }}
{{- end }}
{{- end -}}

{{/* The autoscaler's behaviour from autoscaling.hpa (an HPA's, or the one KEDA makes): Percent and Pods up (the larger wins), Percent down (the smaller wins). */}}
{{- define "tacos.scalingBehavior" -}}
scaleUp:
  stabilizationWindowSeconds: {{ .scaleUp.stabilizationWindowSeconds }}
  selectPolicy: Max
  policies:
    - type: Percent
      value: {{ .scaleUp.percent }}
      periodSeconds: {{ .scaleUp.periodSeconds }}
    - type: Pods
      value: {{ .scaleUp.pods }}
      periodSeconds: {{ .scaleUp.periodSeconds }}
scaleDown:
  stabilizationWindowSeconds: {{ .scaleDown.stabilizationWindowSeconds }}
  selectPolicy: Min
  policies:
    - type: Percent
      value: {{ .scaleDown.percent }}
      periodSeconds: {{ .scaleDown.periodSeconds }}
{{- end -}}

{{/* The workload the autoscalers and the VPA target: the Rollout when the service is released as a canary, else the Deployment. */}}
{{- define "tacos.workloadRef" -}}
{{- if .Values.rollout.enabled -}}
apiVersion: argoproj.io/v1alpha1
kind: Rollout
{{- else -}}
apiVersion: apps/v1
kind: Deployment
{{- end }}
name: {{ include "tacos.name" . }}
{{- end -}}

{{/* The label telling the route's stable and canary Services from the service's own (which the ServiceMonitor scrapes through). */}}
{{- define "tacos.routeBackendLabel" -}}tacos.io/route-backend{{- end -}}

{{/* "true" when a canary shifts the service's traffic by the HTTPRoute's weights, else empty. */}}
{{- define "tacos.trafficRouted" -}}
{{- if and .Values.rollout.enabled .Values.rollout.trafficRouting }}true{{ end -}}
{{- end -}}

{{/* The Services the HTTPRoute sends traffic to: <name>-stable and <name>-canary when the canary shifts traffic by weight, else the service's own. */}}
{{- define "tacos.routeBackends" -}}
{{- if include "tacos.trafficRouted" . -}}
{{ include "tacos.name" . }}-stable
{{ include "tacos.name" . }}-canary
{{- else -}}
{{ include "tacos.name" . }}
{{- end -}}
{{- end -}}

{{/* A quantity the values schema admits ([resource, quantity]) as a whole number: cpu in millicores, memory in bytes. */}}
{{- define "tacos.quantityAmount" -}}
{{- $resource := index . 0 -}}
{{- $quantity := index . 1 -}}
{{- if eq $resource "cpu" -}}
{{- if hasSuffix "m" $quantity -}}
{{- trimSuffix "m" $quantity | int64 -}}
{{- else -}}
{{- mulf (float64 $quantity) 1000 | ceil | int64 -}}
{{- end -}}
{{- else -}}
{{- $unit := regexFind "[A-Za-z]+$" $quantity -}}
{{- $factors := dict "" 1 "k" 1000 "M" 1000000 "G" 1000000000 "Ki" 1024 "Mi" 1048576 "Gi" 1073741824 -}}
{{- mul (trimSuffix $unit $quantity | int64) (get $factors $unit) -}}
{{- end -}}
{{- end -}}

{{/* Checks that cannot be written in the values schema. */}}
{{- define "tacos.validate" -}}
{{- $a := .Values.autoscaling -}}
{{- if gt (int $a.minReplicas) (int $a.maxReplicas) -}}
{{- fail (printf "autoscaling.minReplicas (%d) must be <= autoscaling.maxReplicas (%d)" (int $a.minReplicas) (int $a.maxReplicas)) -}}
{{- end -}}
{{- if and (eq $a.mode "hpa") (lt (int $a.minReplicas) 1) -}}
{{- fail "autoscaling.minReplicas must be >= 1 with an HPA (only KEDA scales from zero)" -}}
{{- end -}}
{{- if and (eq $a.mode "keda") (not $a.keda.queueUrl) (not $a.keda.requestRate) -}}
{{- fail "autoscaling.keda.queueUrl or autoscaling.keda.requestRate is required when autoscaling.mode is keda" -}}
{{- end -}}
{{- if and (eq $a.mode "keda") $a.keda.queueUrl (not $a.keda.awsRegion) -}}
{{- fail "autoscaling.keda.awsRegion is required with autoscaling.keda.queueUrl" -}}
{{- end -}}
{{- if and (eq $a.mode "keda") (lt (int $a.minReplicas) 1) (or $a.hpa.cpuUtilization $a.hpa.memoryUtilization) -}}
{{- fail "autoscaling.minReplicas must be >= 1 when KEDA also scales on CPU or memory (those triggers cannot scale from zero)" -}}
{{- end -}}
{{- if and .Values.httpRoute.enabled (not .Values.httpRoute.parentRef.name) -}}
{{- fail "httpRoute.parentRef.name is required when httpRoute.enabled is true" -}}
{{- end -}}
{{- $r := .Values.rollout -}}
{{- if and $r.enabled (not $r.steps) -}}
{{- fail "rollout.steps must list at least one step when rollout.enabled is true" -}}
{{- end -}}
{{- if and $r.enabled (not $r.analysis.metrics) -}}
{{- fail "rollout.analysis.metrics must list at least one metric when rollout.enabled is true: every step is judged" -}}
{{- end -}}
{{- if and $r.enabled $r.trafficRouting (not .Values.httpRoute.enabled) -}}
{{- fail "rollout.trafficRouting needs httpRoute.enabled: the weights are the HTTPRoute's" -}}
{{- end -}}
{{- range $i, $step := $r.steps }}
{{- if le (int $step.measurements) (int $r.analysis.failureLimit) -}}
{{- fail (printf "rollout.steps[%d].measurements (%d) must exceed rollout.analysis.failureLimit (%d), or the step can never fail" $i (int $step.measurements) (int $r.analysis.failureLimit)) -}}
{{- end -}}
{{- end -}}
{{- $names := list -}}
{{- range .Values.ports }}{{ $names = append $names .name }}{{ end -}}
{{- if not (has .Values.probes.port $names) -}}
{{- fail (printf "probes.port %q must name one of the ports (%s)" .Values.probes.port (join ", " $names)) -}}
{{- end -}}
{{- range $field := list "name" "port" }}
{{- $seen := list -}}
{{- range $i, $port := $.Values.ports }}
{{- $value := toString (index $port $field) -}}
{{- if has $value $seen -}}
{{- fail (printf "ports[%d].%s (%s) repeats an earlier port's: a Pod's and a Service's ports must differ in %s" $i $field $value $field) -}}
{{- end -}}
{{- $seen = append $seen $value -}}
{{- end }}
{{- end }}
{{- range $resource := list "cpu" "memory" }}
{{- $request := index $.Values.resources.requests $resource -}}
{{- $limit := index $.Values.resources.limits $resource -}}
{{- if gt (include "tacos.quantityAmount" (list $resource $request) | int64) (include "tacos.quantityAmount" (list $resource $limit) | int64) -}}
{{- fail (printf "resources.requests.%s (%s) must be <= resources.limits.%s (%s)" $resource $request $resource $limit) -}}
{{- end -}}
{{- end }}
{{- end -}}
