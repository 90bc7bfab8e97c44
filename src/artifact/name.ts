// Artifact names, checked where the inputs are read (a bad name fails before anything is built)
// and again by the upload.

/** The characters the results service refuses in an artifact name. */
export const INVALID_NAME_CHARACTERS = ['"', ':', '<', '>', '|', '*', '?', '\r', '\n', '\\', '/'];

/** The characters of an artifact name the service refuses; [] when the name is fine. Pure. */
export function invalidNameCharacters(name: string): string[] {
  return INVALID_NAME_CHARACTERS.filter((c) => name.includes(c));
}
