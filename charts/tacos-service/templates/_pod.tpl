{{/* The pod template of the service's workload: the Deployment's, or the Rollout's when it is released as a canary. */}}
{{- define "tacos.podTemplate" -}}
metadata:
  labels:
    {{- include "tacos.labels" . | nindent 4 }}
  annotations:
    checksum/env: {{ include (print $.Template.BasePath "/configmap.yaml") . | sha256sum }}
    {{- with .Values.logParser }}
    fluentbit.io/parser: {{ . | quote }}
    {{- end }}
spec:
  serviceAccountName: {{ include "tacos.name" . }}
  priorityClassName: {{ .Values.priorityClassName }}
  automountServiceAccountToken: false
  enableServiceLinks: false
  terminationGracePeriodSeconds: 30
  securityContext:
    runAsNonRoot: true
    runAsUser: {{ .Values.runAsUser }}
    runAsGroup: {{ .Values.runAsUser }}
    fsGroup: {{ .Values.runAsUser }}
    seccompProfile:
      type: RuntimeDefault
  # How long the pods stay bound to a node the control plane lost before they are evicted and
  # replaced elsewhere (Kubernetes adds 300 s when a pod says nothing).
  tolerations:
    {{- range list "node.kubernetes.io/unreachable" "node.kubernetes.io/not-ready" }}
    - key: {{ . }}
      operator: Exists
      effect: NoExecute
      tolerationSeconds: {{ $.Values.topologySpread.nodeLossTolerationSeconds }}
    {{- end }}
  topologySpreadConstraints:
    - maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: {{ .Values.topologySpread.zoneWhenUnsatisfiable }}
      # A lost zone's nodes carry the unreachable NoSchedule taint, which no pod tolerates: Honor
      # leaves them out of the skew, so replacements spread over the zones left instead of waiting.
      nodeTaintsPolicy: Honor
      labelSelector:
        matchLabels:
          {{- include "tacos.selectorLabels" . | nindent 10 }}
    - maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
      labelSelector:
        matchLabels:
          {{- include "tacos.selectorLabels" . | nindent 10 }}
  containers:
    - name: {{ include "tacos.name" . }}
      image: {{ include "tacos.image" . }}
      imagePullPolicy: {{ .Values.image.pullPolicy }}
      ports:
        {{- range .Values.ports }}
        - name: {{ .name }}
          containerPort: {{ .port }}
          protocol: TCP
        {{- end }}
      envFrom:
        - configMapRef:
            name: {{ include "tacos.name" . }}-env
      {{- with .Values.secretEnv }}
      env:
        {{- range . }}
        - name: {{ .name }}
          valueFrom:
            secretKeyRef:
              name: {{ .secretName }}
              key: {{ .key }}
              optional: {{ .optional | default false }}
        {{- end }}
      {{- end }}
      startupProbe:
        {{- if .Values.probes.startup.tcpPort }}
        tcpSocket:
          port: {{ .Values.probes.startup.tcpPort }}
        {{- else }}
        httpGet:
          path: {{ .Values.probes.startup.path }}
          port: {{ .Values.probes.port }}
        {{- end }}
        periodSeconds: {{ .Values.probes.startup.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.startup.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.startup.failureThreshold }}
      livenessProbe:
        {{- if .Values.probes.liveness.tcpPort }}
        tcpSocket:
          port: {{ .Values.probes.liveness.tcpPort }}
        {{- else }}
        httpGet:
          path: {{ .Values.probes.liveness.path }}
          port: {{ .Values.probes.port }}
        {{- end }}
        periodSeconds: {{ .Values.probes.liveness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.liveness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.liveness.failureThreshold }}
      readinessProbe:
        httpGet:
          path: {{ .Values.probes.readiness.path }}
          port: {{ .Values.probes.port }}
        periodSeconds: {{ .Values.probes.readiness.periodSeconds }}
        timeoutSeconds: {{ .Values.probes.readiness.timeoutSeconds }}
        failureThreshold: {{ .Values.probes.readiness.failureThreshold }}
      resources:
        {{- toYaml .Values.resources | nindent 8 }}
      securityContext:
        runAsNonRoot: true
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        privileged: false
        capabilities:
          drop: ["ALL"]
        seccompProfile:
          type: RuntimeDefault
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
{{- end -}}
