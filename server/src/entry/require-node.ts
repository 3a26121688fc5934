/**
 * The first thing each built entry point runs. argon2 is a native addon built for the Node the
 * project installs (24): loaded by an older Node it crashes the process with a segmentation fault,
 * so the version is checked before anything else is loaded. Written for any Node from 18 on.
 */
export const REQUIRED_NODE_MAJOR = 24;

export function requireNode(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return;
  console.error(
    `AutomateOS needs Node.js ${REQUIRED_NODE_MAJOR} or newer; this is Node.js ${process.version} (${process.execPath}).\n` +
      `Use the Node.js the project installs: export PATH="$PWD/node_modules/.bin:$PATH" from the project folder, or install Node.js ${REQUIRED_NODE_MAJOR}.`,
  );
  process.exit(1);
}
