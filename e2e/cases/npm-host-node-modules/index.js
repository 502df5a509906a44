const ms = require('ms');
const yargs = require('yargs/yargs');
const argv = yargs(process.argv.slice(2)).option('every', { default: '1m' }).parse();
console.log(`every ${ms(ms(argv.every), { long: true })}`);
