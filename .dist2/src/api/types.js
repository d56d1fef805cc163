// The shapes every API client sees: objects as the API server serves them (JSON-shaped, the
// fields named as in the Kubernetes API), resource discovery, watch events.
export {};
//# sourceMappingURL=types.js.map