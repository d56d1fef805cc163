export {};
//# sourceMappingURL=proc.js.map