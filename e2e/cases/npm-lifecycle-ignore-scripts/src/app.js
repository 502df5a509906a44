const ms = require('ms');
console.log(`every ${ms(60000, { long: true })}`);
