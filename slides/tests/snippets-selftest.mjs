// The snippet extractor must reject markers whose indentation contradicts the
// code (tools/snippets.mjs, regionsOfLines): each case below is a region as it
// may stand in solutions/server/, and what the check must say of it.
//   node tests/snippets-selftest.mjs
import assert from 'node:assert/strict';
import { regionsOfLines } from '../tools/snippets.mjs';

const where = (i) => `test.cpp:${i + 1}`;
const regions = (text) => regionsOfLines(text.split('\n'), where, { checkIndent: true });
let failures = 0;
function check(name, run) {
  try {
    run();
    console.log(`ok: ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAILED: ${name}: ${e.message}`);
  }
}

check('a region that ends inside a loop, its [/slide] at the loop body\'s indentation, is accepted', () => {
  const found = regions(`    // [slide: head]
    while (running) {
        poll();
        // [/slide]
        serve();
    }`);
  assert.equal(found.get('head'), 'while (running) {\n    poll();');
});

check('a whole block, [/slide] at its [slide]\'s indentation, is accepted', () => {
  const found = regions(`        // [slide: dispatch]
        if (clients)
            clients->spawn();
        // [/slide]
    }`);
  assert.equal(found.get('dispatch'), 'if (clients)\n    clients->spawn();');
});

check('a [/slide] that closes mid-block at the outer indentation is rejected', () => {
  assert.throws(() => regions(`    // [slide: head]
    while (running) {
        poll();
    // [/slide]
        serve();
    }`), /^Error: test\.cpp:4: \[\/slide\] of head is indented 4 spaces but the code goes on at 8/);
});

check('a [/slide] less indented than its [slide] (the region leaves its block) is rejected', () => {
  assert.throws(() => regions(`        // [slide: body]
        read();
    }
    // [/slide]`), /^Error: test\.cpp:4: \[\/slide\] of body is indented 4 spaces, less than its \[slide\] \(8\)/);
});

check('a [slide] indented unlike the code it marks is rejected', () => {
  assert.throws(() => regions(`    // [slide: body]
        read();
        // [/slide]`), /^Error: test\.cpp:1: \[slide: body\] is indented 4 spaces, the code it marks 8/);
});

check('a region never closed is rejected at its [slide]', () => {
  assert.throws(() => regions(`    // [slide: open]
    read();`), /^Error: test\.cpp:1: \[slide: open\] is never closed/);
});

if (failures) {
  console.log(`snippets-selftest: ${failures} case(s) failed`);
  process.exit(1);
}
console.log('snippets-selftest: every misplaced marker was rejected');
