import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/fs.js';

afterAll(removeTempDirs);
