import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '@/app/App';
import { BranchZone } from '@/app/BranchZone';
import { makeQueryClient } from '@/app/queryClient';
import { I18nProvider } from '@/i18n';
import './index.css';

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={makeQueryClient()}>
        <I18nProvider>
          <BranchZone>
            <App />
          </BranchZone>
        </I18nProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
