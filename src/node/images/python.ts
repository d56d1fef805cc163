// The official python image (Debian; CMD python3): the one program knetlab has for it is
// `python3 -m http.server [PORT] [--bind ADDR]`.
import { DEBIAN_BASE, type WorkloadImage } from './image.js';

export const pythonImage: WorkloadImage = {
  name: 'python',
  entrypoint: [],
  cmd: ['python3'],
  commands: [...DEBIAN_BASE, 'python3', 'python'],
  shell: 'bash',
  program(argv) {
    const name = argv[0]?.replace(/^\/usr(\/local)?\/bin\//, '');
    return (name === 'python3' || name === 'python') && argv[1] === '-m' && argv[2] === 'http.server'
      ? ['python3', ...argv.slice(1)]
      : undefined;
  },
};
