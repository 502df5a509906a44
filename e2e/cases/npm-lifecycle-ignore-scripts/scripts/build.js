const fs = require('fs');
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/app.js', fs.readFileSync('src/app.js', 'utf8'));
