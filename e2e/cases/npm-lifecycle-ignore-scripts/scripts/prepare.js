// A git hook installer in real projects (husky): it needs the repository, so the image build skips it.
require('fs').writeFileSync('prepared.txt', 'prepare ran\n');
