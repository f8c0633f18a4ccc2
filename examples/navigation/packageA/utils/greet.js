// Lives in subpackage A: only A's pages (and nothing in the main package) may require it.
module.exports.greet = (name) => `hello ${name} from packageA`;
