// Manifests the lab's tests and benches share: a kind cluster of N workers, and the whoami web
// Deployment with its Service that the seeds curl.

/** kind's Cluster config: one control plane and `workers` workers. */
export function kindConfig(workers: number): string {
  return `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n${'- role: worker\n'.repeat(workers)}`;
}

/** `replicas` traefik/whoami pods labelled app=web on port 80, and the ClusterIP Service `web` (port `http`, 80). */
export function whoamiWeb(replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: traefik/whoami
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 80
`;
}
