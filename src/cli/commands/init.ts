export async function initCommand(_a: { yes?: boolean }): Promise<number> { return 0; }
