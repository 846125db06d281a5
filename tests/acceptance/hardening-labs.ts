/**
 * The labs the sandbox-hardening tests run: the one under test and a neighbour beside it (whose
 * folder must stay out of reach, and which must keep serving while the other is loaded).
 * HARDENING_LABS=a,b renames them, to run beside a suite that uses the default names.
 */
const [lab = 'isolated', neighbour = 'neighbour'] = (process.env.HARDENING_LABS ?? '').split(',').filter(Boolean);
export const hardeningLabs = { lab, neighbour };
