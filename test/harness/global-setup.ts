// Placeholder until the Temporal dev server harness lands.
export default function globalSetup(): void {}
