// Imported by the cold-start benchmark in a fresh Node process: with a module URL it imports that
// module once (a Lambda's init phase); without one it is the empty process the figure subtracts.
const target = process.argv[2];
if (target) await import(target);
