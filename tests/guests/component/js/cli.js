// A wasi:cli/command component: prints a greeting, its arguments and one environment variable,
// then returns success (the tests compare the output).
export const run = {
  run() {
    console.log('Hello from a JavaScript command!');
    return;
  },
};
