export default async function globalTeardown(): Promise<void> {
  const local = globalThis.__TEST_NEO4J__;
  if (local) {
    await local.stop();
    globalThis.__TEST_NEO4J__ = undefined;
  }
}
