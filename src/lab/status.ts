export async function labStatus(name: string): Promise<unknown> { return name; }
export function formatStatusTable(status: unknown): string { return String(status); }
