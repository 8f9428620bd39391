// The text interface (bantam:compose/text) in JavaScript, for the C component compose_app.wasm
// (and c/compose_http.c) to import. Unlike the C library it upper-cases every letter
// (String#toUpperCase: "é" -> "É"), which tells the tests which implementation answered.
// echo("$NAME") answers the environment variable NAME as this component sees it, or "(unset)":
// the tests of Spin's dependencies_inherit_configuration read the dependency's environment so.
import { getEnvironment } from 'wasi:cli/environment@0.2.10';

let count = 0;

export const text = {
  shout(s) {
    count += 1;
    return s.toUpperCase();
  },
  echo(s) {
    if (s.startsWith('$')) {
      const found = getEnvironment().find(([k]) => k === s.slice(1));
      return found ? found[1] : '(unset)';
    }
    return s;
  },
  calls() {
    return count;
  },
};
