import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import './styles.css';
import { OFFICIAL_FONTS, OFFICIAL_PAGE_CSS } from '../blocks/paper.js';

// Printing from the app puts the report on the page of an official document, in its typefaces, as its publication has it.
const paper = document.createElement('style');
paper.textContent = [
  OFFICIAL_PAGE_CSS,
  '@media print{',
  `.report-editor{font-family:${OFFICIAL_FONTS.FANGSONG}}`,
  `.report-section-header{font-family:${OFFICIAL_FONTS.HEI}}`,
  `.report-section.level-2 .report-section-title{font-family:${OFFICIAL_FONTS.KAI}}`,
  '}',
].join('');
document.head.append(paper);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
