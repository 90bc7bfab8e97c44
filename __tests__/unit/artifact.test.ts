import { invalidNameCharacters } from '../../src/artifact/name.js';

test.each([
  ['image-digest', []],
  ['app image digest', []],
  ['a/b', ['/']],
  ['a:b?', [':', '?']],
])('invalidNameCharacters(%j)', (name, invalid) => {
  expect(invalidNameCharacters(name)).toEqual(invalid);
});
