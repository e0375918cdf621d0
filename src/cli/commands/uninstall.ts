export async function uninstallCommand(): Promise<number> { return 0; }
