import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import './styles.css';
import { OFFICIAL_PAGE_CSS } from '../blocks/paper.js';

// Printing from the app puts the report on the page of an official document, as its publication has it.
const paper = document.createElement('style');
paper.textContent = OFFICIAL_PAGE_CSS;
document.head.append(paper);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
